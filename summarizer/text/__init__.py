"""Text and where it is: reading articles (offsets into the raw file), the Markdown-free view, sentences,
aligning quotes to spans, and the shared vocabulary (`lexicon`). Knows no model.
"""
