"""lofte_data: storage, sources, analysis and figures behind the medborgarlöfte dashboard."""
