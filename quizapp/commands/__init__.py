"""The command modules of `quizapp validate`, `grade` and `draft`: reading the files they are
given, printing, exit statuses. They sit above the pure packages (`deck`, `scheduling`,
`grading`) and `draft`, which take text and values and touch no file.
"""
