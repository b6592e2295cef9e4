# Input lines: <group> <file> <truth: spam|ham> <score>; spam when score >= threshold (THRESHOLD).
# Prints: spam_total spam_caught ham_total ham_flagged
{
  if ($3 == "spam") { spam++; if ($4 + 0 >= THRESHOLD) caught++ }
  else { ham++; if ($4 + 0 >= THRESHOLD) fp++ }
}
END { printf "%d %d %d %d\n", spam, caught, ham, fp }
