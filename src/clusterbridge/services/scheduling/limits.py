"""The largest scheduling problem read from a file, checked before anything is built.

A file may say ``nBusiness = 10000000000;`` in a few bytes; building the problem it describes
would take all the memory there is. Events hold hundreds of participants (ADR 0012); these
bounds leave a wide margin above the largest published instance (78 participants, 302
meetings, 27 tables, 22 slots).
"""

#: The largest file read, in bytes.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PARTICIPANTS = 10_000
MAX_MEETINGS = 200_000
MAX_SLOTS = 10_000
MAX_ROOMS = 10_000
#: The largest meeting priority (the engine weighs meetings by it).
MAX_PRIORITY = 1_000_000
