# skill: O013
# function: Standings.positions
class Standings:
    def __init__(self, ranking):
        self.ranking = list(ranking)

    def positions(self, teams):
        return {team: self.ranking.index(team) + 1 for team in teams}
