"""Batch runs over benchmark suites: load a suite, run the optimize graph per problem, score, report."""
