# skill: O002
# function: render_table
def render_table(rows):
    html = "<table>"
    for row in rows:
        html += "<tr>"
        for cell in row:
            html += "<td>" + str(cell) + "</td>"
        html += "</tr>"
    return html + "</table>"
