"""The training stage: LoRA / QLoRA fine-tuning of a base model on the dataset."""
