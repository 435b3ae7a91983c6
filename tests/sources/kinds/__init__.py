"""One module per source kind: its row of the contract table (`CASE`) and
what its recorded payload normalises to (`RECORDED`). The kind's own test
file imports these for what is special about it."""
