# skill: O013
# function: reorder_columns
def reorder_columns(header, wanted, rows):
    header = list(header)
    out = []
    for row in rows:
        out.append([row[header.index(col)] for col in wanted])
    return out
