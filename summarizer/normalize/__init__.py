"""Values read by code from the article's words: quantities with qualifiers, the count phrases the
prompts list, dates resolved against the publication date (periods, tense, vague references).
"""
