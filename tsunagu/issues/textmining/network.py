"""What the text-mining page shows: counted words and the co-occurrence network."""

from dataclasses import dataclass


@dataclass(frozen=True)
class WordCount:
    word: str  # normalised form: pass it to kwic()
    count: int  # occurrences in all texts
    documents: int  # texts it occurs in
    label: str = ""  # what to show; the normalised form when empty

    @property
    def display(self) -> str:
        return self.label or self.word


@dataclass(frozen=True)
class Node:
    word: str
    label: str
    count: int
    documents: int
    community: int  # 0 is the largest community


@dataclass(frozen=True)
class Edge:
    source: str  # normalised forms, as in Node.word
    target: str
    jaccard: float
    documents: int  # texts that contain both words


@dataclass(frozen=True)
class Network:
    nodes: list[Node]
    edges: list[Edge]


@dataclass(frozen=True)
class Analysis:
    texts: int
    words: list[WordCount]
    network: Network
    tokens: list[list[str]] | None = None  # only with keep_tokens=True
