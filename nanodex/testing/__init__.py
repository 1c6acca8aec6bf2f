"""Real HTTP servers on localhost that speak like the sites nanodex scrapes, for tests and benchmarks."""
