"""Evaluation and selection of proposals (issue 18; docs/adr/0018-ranking-selection-and-assignment.md).

``problem`` holds a call's selection settings and the evaluated proposals, validated once with
the place of every problem; ``rank`` screens (eligibility, criterion and overall thresholds) and
ranks them with the call's tie-break keys; ``select`` takes the strand minimums, fills the
remaining places within the budget and forms the reserve list, with a reason for every outcome.
``assignment`` states the expert-assignment problem and checks any assignment; ``flow`` is the
only module importing OR-Tools (min-cost flow, the max-flow explanation of infeasibility and the
CP-SAT baseline); ``conflicts`` finds conflicts of interest from the data. No I/O here.
"""
