"""School groups (issue 8): a mediator starts a group, the kiosk leads it through a guided activity.

activities.py  the activity content (config/content/activities/*.toml): data classes, loading, checks
reading.py     reading one activity file, with problems naming the file and the key path
runner.py      the activity's progress and the challenge tracker (no pygame)
results.py     best scores, the anonymous comparison with other groups, the take-home link
manager.py     GroupManager: the service the chrome asks for its banner and overlay every frame
views.py       full-screen steps (instruction, quiz, results): the runtime screen named "group"
panel.py       the strip over a station during a step, and the pill that resumes the activity
"""
