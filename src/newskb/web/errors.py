"""The exception the server's views turn into an HTTP answer (its own module: the query workers
raise it too, without importing the web framework)."""


class RequestRefused(Exception):
    """A request the server will not serve; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status
