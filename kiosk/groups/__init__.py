"""School groups (issue 8): a mediator starts a group, the kiosk leads it through a guided activity.

activities.py  the activity content files (config/content/activities/*.toml): reading and checking
runner.py      the activity's progress and the challenge tracker (no pygame)
results.py     best scores, the anonymous comparison with other groups, the take-home link
manager.py     GroupManager: the service the chrome asks for its banner and overlay every frame
views.py       full-screen steps (instruction, quiz, results) and the challenge panel over a station
"""
