"""The one Streamlit layer: one module per job (see README, Arkitektur); the core never imports it."""
