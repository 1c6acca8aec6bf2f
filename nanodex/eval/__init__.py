"""The eval stage: base model vs adapter on the held-out split, the same way for every run."""
