# skill: O032
# function: read_grid
def read_grid():
    rows, cols = map(int, input().split())
    grid = []
    while len(grid) < rows:
        grid.append(input().strip())
    return grid, cols
