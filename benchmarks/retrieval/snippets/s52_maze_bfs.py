# skill: O007
# function: Maze.distance
class Maze:
    def __init__(self, walls, size):
        self.walls, self.size = walls, size

    def distance(self, start, goal):
        queue = [(start, 0)]
        seen = {start}
        while queue:
            (r, c), d = queue.pop(0)
            if (r, c) == goal:
                return d
            for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if 0 <= nr < self.size and 0 <= nc < self.size and (nr, nc) not in self.walls and (nr, nc) not in seen:
                    seen.add((nr, nc))
                    queue.append(((nr, nc), d + 1))
        return -1
