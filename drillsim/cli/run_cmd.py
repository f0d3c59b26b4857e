"""The run command (placeholder until the engine lands)."""
