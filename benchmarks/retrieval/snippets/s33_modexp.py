# skill: O029
# function: Cipher.encrypt
class Cipher:
    def __init__(self, e, n):
        self.e, self.n = e, n

    def encrypt(self, blocks):
        return [(b ** self.e) % self.n for b in blocks]
