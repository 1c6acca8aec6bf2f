"""The dataset stage: brain nodes -> validated, deduplicated, leakage-free Q&A examples."""
