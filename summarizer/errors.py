"""The one exception tree of the summarizer. Every error it raises on purpose is one of these.

    SummarizerError                      exit 1
    ├── ConfigurationError               exit 3   bad flags or environment
    │   └── NoBackendError               exit 3   no endpoint configured and no local model installed
    ├── InputError                       exit 4   missing, empty, binary or non-UTF-8 input
    ├── ProviderError                    exit 5   the model endpoint failed (HTTP, timeout, bad output)
    │   └── RetriesExhaustedError        exit 5   transient failures outlasted the retries
    ├── GroundingError                   exit 6   an internal span broke raw[start:end] == text
    └── IncompleteError                  exit 7   output written, but some passes or articles failed

The CLI maps each class to its exit code (`exit_code`) and prints the message on one line.
"""

from __future__ import annotations


class SummarizerError(Exception):
    """Root of every error the summarizer raises on purpose. `where` (set by whoever knows it,
    such as "ARTICLE, pass NAME") is put before the message."""

    exit_code = 1
    where = ""

    def __str__(self) -> str:
        message = super().__str__()
        return f"{self.where}: {message}" if self.where else message


class ConfigurationError(SummarizerError):
    """The flags or the environment do not describe a usable setup."""

    exit_code = 3


class NoBackendError(ConfigurationError):
    """No endpoint is configured and the embedded local model is not installed."""


class InputError(SummarizerError):
    """An input article cannot be read as text."""

    exit_code = 4


class ProviderError(SummarizerError):
    """The model endpoint failed or answered with something unusable.

    `endpoint_down`: the endpoint itself cannot serve requests now (unreachable or timing out past
    the retries, rate limited past the wait budget, a refused key, an unknown model), so no later
    pass or article would fare better; otherwise only this request failed (an unusable answer,
    a 400, server errors that outlasted the retries)."""

    exit_code = 5

    def __init__(self, message: str, *, endpoint_down: bool = False) -> None:
        super().__init__(message)
        self.endpoint_down = endpoint_down
        self.pass_name: str | None = None  # the pipeline's pass that was asking, once known


class RetriesExhaustedError(ProviderError):
    """Transient endpoint failures continued past the last retry."""

    def __init__(self, message: str, *, attempts: int, prompt_tokens: int = 0,
                 completion_tokens: int = 0, endpoint_down: bool = False) -> None:
        super().__init__(message, endpoint_down=endpoint_down)
        self.attempts = attempts
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens


class GroundingError(SummarizerError):
    """A span does not point at its own text: a bug, never a property of the input."""

    exit_code = 6


class IncompleteError(SummarizerError):
    """The output was written, but holds only what the passes and articles that succeeded grounded
    (each failure is listed in it: `EventSummary.incomplete`, `ArticleSet.failures`)."""

    exit_code = 7
