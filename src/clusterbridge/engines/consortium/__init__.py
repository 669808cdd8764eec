"""The consortium builder: the best consortia for a call over a shortlist, found by CP-SAT
(docs/adr/0011-consortium-builder.md).

``encode`` turns a call's rules and the partners into per-partner parts judged by the
eligibility engine itself; ``problem`` holds them; ``model`` is the only module that imports
OR-Tools; ``solve`` finds proposals one after another, each different from the last;
``check`` re-verifies any selection independently; ``greedy`` is the baseline the benchmark
compares with.
"""
