# skill: O031
# function: show_board
def show_board(board):
    for row in board:
        print("".join("#" if cell else "." for cell in row))
