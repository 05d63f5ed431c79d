"""Archives, not articles: many articles summarized concurrently, resumably, every one accounted for."""
