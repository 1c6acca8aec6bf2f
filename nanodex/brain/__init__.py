"""The brain stage: every graph node typed (module/capability/concept/error/recipe) and summarised."""
