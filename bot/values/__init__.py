"""The innermost values: messages, what channels hand in and what goes out. No I/O, no
libraries beyond the standard one; everything else may import these."""
