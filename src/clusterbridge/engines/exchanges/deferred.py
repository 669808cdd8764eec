"""Deferred acceptance for hospitals and residents (Gale and Shapley, 1962; Roth, 1984):
visitors propose down their lists, each host holds its best ``capacity`` proposals so far and
rejects the rest. The result is stable and visitor-optimal: every visitor gets the best host it
has in any stable assignment.

Proposals are processed one at a time from a stack of free visitors; each host keeps a heap of
the visitors it holds keyed by its rank of them, so that its worst is found in O(log capacity).
"""

import heapq

from clusterbridge.engines.exchanges.problem import AssignmentProblem


def assign_visitor_optimal(problem: AssignmentProblem) -> list[int | None]:
    """The visitor-optimal stable assignment: per visitor index, its host index or None.
    Only mutually acceptable pairs are ever formed. Pure; O(P log C) for P listed pairs."""
    lists = problem.visitor_lists
    ranks = problem.host_ranks
    capacity = [host.capacity for host in problem.hosts]
    held: list[list[tuple[int, int]]] = [[] for _ in problem.hosts]
    next_choice = [0] * len(problem.visitors)
    assigned: list[int | None] = [None] * len(problem.visitors)
    free = list(range(len(problem.visitors) - 1, -1, -1))
    while free:
        visitor = free.pop()
        choices = lists[visitor]
        while next_choice[visitor] < len(choices):
            host = choices[next_choice[visitor]]
            next_choice[visitor] += 1
            if capacity[host] == 0:
                continue
            rank = ranks[host][visitor]
            heap = held[host]
            if len(heap) < capacity[host]:
                heapq.heappush(heap, (-rank, visitor))
                assigned[visitor] = host
                break
            worst_rank, worst = -heap[0][0], heap[0][1]
            if rank < worst_rank:
                heapq.heapreplace(heap, (-rank, visitor))
                assigned[visitor] = host
                assigned[worst] = None
                free.append(worst)
                break
    return assigned
