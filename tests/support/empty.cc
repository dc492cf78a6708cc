// Keeps sb_test_support non-empty.
