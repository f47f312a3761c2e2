"""The model endpoint: the client, the instruction contract, image preparation."""
