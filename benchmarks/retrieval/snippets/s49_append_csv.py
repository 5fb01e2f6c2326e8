# skill: O045
# function: export_rows
import csv


def export_rows(rows, path):
    for row in rows:
        with open(path, "a", newline="") as fh:
            csv.writer(fh).writerow(row)
