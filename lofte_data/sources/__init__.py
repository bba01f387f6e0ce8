"""Source clients: build the request (pure), fetch (one HTTP choke point), parse (pure)."""
