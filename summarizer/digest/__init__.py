"""Several articles about one event: copies of one story, matching items, conflicts, the timeline,
and the model judge for fact pairs the rules cannot decide.
"""
