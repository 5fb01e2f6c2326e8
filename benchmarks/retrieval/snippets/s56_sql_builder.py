# skill: O002
# function: Query.where_clause
class Query:
    def where_clause(self, filters):
        clause = ""
        for column, value in filters.items():
            if clause:
                clause += " AND "
            clause += f"{column} = '{value}'"
        return clause
