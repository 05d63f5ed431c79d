"""One article's pipeline: the model's drafts (schemas), the passes, grounding every quote to spans,
and the date expressions the model left out (fill).
"""
