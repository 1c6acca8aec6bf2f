"""Sources: each kind turns its config entry into a raw dump under data/raw/<source>/."""
