"""Providers that talk to a real model: the OpenAI-compatible adapter (instructor over openai) and
the embedded local llama.cpp server. The only room that talks HTTP to a model.
"""
