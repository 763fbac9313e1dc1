"""The aligner's tunables, in one place on one scale: ratios from 0 to 1, counts of words or
clauses. Each is explained in the README's table and varied one at a time by `make thresholds`
(benchmarks/thresholds.py); the stages read them as `tunables.NAME`, so that a run can move one.
"""

# -- tunables: ratios from 0 to 1, counts of words or clauses; each explained in the README's
# table, and varied one at a time by `make thresholds` (benchmarks/thresholds.py) --------------
LOCAL_WORD_DICE = 0.5  # in a gap: half the words shared (in order) makes an edit
LOCAL_CHAR_RATIO = 0.7  # in a gap: or most characters shared (short clauses, typo fixes)
SHORT_CHAR_RATIO = 0.6  # ... and for clauses of three words or fewer
LOCAL_COVER = 0.8  # in a gap: or the shorter clause is nearly all inside the longer one
GLOBAL_WORD_DICE = 0.7  # anywhere (moved and edited): a stricter bar
GLOBAL_CHAR_RATIO = 0.8
ANYWHERE_PREFILTER = 0.5  # character ratio below which a pair cannot meet either bar
SPLIT_RATIO = 0.8  # pieces joined must read like the whole
SPLIT_MARGIN = 0.03  # ... and better than any single piece alone
SIMILAR_TITLE = 0.85  # title likeness (token set): the same title with words added or dropped
SHARED_WORD_TITLE = 0.5  # ... and for a lone section replaced in the same place
PIECE_COVER = 0.6  # a piece of a split has most of its words in the whole
MAX_PIECES = 8  # a split or merge of more pieces than this is a rewrite
LONE_WORD_DICE = 0.4  # a gap with one clause on one side: the place itself is evidence
MAX_GAP_PAIRS = 250_000  # above this many candidate pairs in one gap, pair by section only
LONG_CLAUSE_CHARS = 4_000  # two clauses longer than this together are compared by words only
MAX_ANYWHERE_WORK = 200_000_000  # characters compared, all pairs left over; past it, score only
# the pairs sharing a rarer word (below)
MAX_ANYWHERE_PAIRS = 1_000_000  # above this many pairs left over, score only those sharing ...
ANYWHERE_FEW = 8  # ... a word that at most this many of the new clauses left over have
MAX_FITTING = 64  # a clause that this many pieces fit has words too common to tell a split
# Evidence that survives rewording (issue #15): content words, places, truncations.
TRUNCATED = 0.9  # a piece kept from a clause: this much of its words in order in the clause
MIN_RESIDUE = 4  # ... and the clause had at least this many more words, which went elsewhere
MOVED_COVER = 0.8  # moved and edited: the shorter clause nearly all inside the longer ...
MOVED_COVER_WORDS = 4  # ... and at least this long,
MOVED_COVER_STEMS = 0.6  # (a pair sharing fewer of its content words cannot be that covered)
MOVED_FEW = 3  # candidates share a content word that at most this many left-over clauses have
MOVED_RARE = 2  # or this many content words shared that no other clause left over has ...
MOVED_DICE = 0.4  # ... with this much of the words shared in order
MAX_LEFT_OVER = 250_000  # above this many candidate pairs of clauses left over, no search
STEM = 5  # letters that make a stem: "hazard" and "hazards", "report" and "reported" agree
RARE_IN_SECTIONS = 2  # a stem in at most this many clauses of each side's section is rare
MAX_SLOT = 4  # a slot with one clause left on one side looks at up to this many on the other
