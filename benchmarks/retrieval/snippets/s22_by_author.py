# skill: O020
# function: Library.titles_by_author
class Library:
    def __init__(self, books):
        self.books = books

    def titles_by_author(self):
        table = {}
        for book in self.books:
            if book.author not in table:
                table[book.author] = []
            table[book.author].append(book.title)
        return table
