"""pactbase's exceptions. The messages are the command line's: what went wrong and how
to put it right (the closest state or agreement, the dataset to import)."""


class PactbaseError(Exception):
    """The database could not be read or written (the CLI's exit code 1)."""


class UnknownState(PactbaseError, KeyError):
    """No state has this name, abbreviation or code; the message suggests the closest."""

    # KeyError quotes its message; this one is a sentence.
    __str__ = Exception.__str__


class UnknownAgreement(PactbaseError, KeyError):
    """No agreement has this id; the message suggests the closest."""

    __str__ = Exception.__str__


class MissingDataset(PactbaseError):
    """A research dataset the analysis reads has not been imported. ``dataset`` names it
    (``"atop"``); ``Registry.import_dataset(dataset, path)`` or ``pactbase data fetch``
    imports it."""

    def __init__(self, message: str, dataset: str) -> None:
        super().__init__(message)
        self.dataset = dataset

    def __str__(self) -> str:
        return str(self.args[0])


class InvalidData(PactbaseError, ValueError):
    """A data folder or dataset file failed validation; nothing was stored. The message
    lists every problem as ``file:line:column: field: message``."""
