# skill: O034
# function: UserMapper.to_dicts
class UserMapper:
    def to_dicts(self, users):
        return list(map(lambda u: {"id": u.id, "name": u.name}, users))
