"""Serving: the vLLM OpenAI-compatible server for the base model + adapter, and a client (`nanodex ask`)."""
