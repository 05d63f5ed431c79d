"""What the tool emits: the frozen pydantic models of a summary and a digest, their JSON Schema,
and the Markdown renderers. Leaves: they import nothing else of the package.
"""
