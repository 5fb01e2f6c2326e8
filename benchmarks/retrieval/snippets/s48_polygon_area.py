# skill: O044
# function: Polygon.area
class Polygon:
    def __init__(self, vertices):
        self.vertices = tuple(vertices)

    @property
    def area(self):
        pts = self.vertices
        s = 0
        for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1]):
            s += x1 * y2 - x2 * y1
        return abs(s) / 2

    def density(self, masses):
        return [m / self.area for m in masses]
