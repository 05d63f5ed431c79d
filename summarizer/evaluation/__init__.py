"""Development tooling: scoring against gold annotations, replayed and recorded runs, cassette
settings, and the `eval` and `cassettes` commands (registered through an entry point, never
imported by the runtime).
"""
