"""Lexical search over the corpus: text analysis (folding, stemming), language guess, BM25 index."""
