"""`python -m summarizer` is the `summarizer` command."""

from summarizer.cli import main

if __name__ == "__main__":  # not when a worker process of a batch imports it again (spawn)
    main()
