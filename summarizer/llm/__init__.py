"""The seam to a model: the `Provider` protocol (messages and a response model in, a parsed answer
and usage out) and the prompt templates (`prompts/*.jinja`), rendered and hashed. No HTTP here.
"""
