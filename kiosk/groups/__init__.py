"""School groups: a mediator starts a group, the kiosk leads it through a guided activity.

activity.py    the activity content's data classes: levels, steps, goals, choices
activities.py  loading and checking the folder config/content/activities/*.toml
reading.py     reading one activity file, with problems naming the file and the key path
runner.py      the activity's progress and the challenge tracker (no pygame)
results.py     best scores, the anonymous comparison with other groups, the take-home link
manager.py     GroupManager: a group's visit, driven through the navigator (kiosk/context.py), never the App
views.py       full-screen steps (instruction, quiz, results): the runtime screen ScreenName.GROUP
panel.py       GroupOverlay (drawn by the chrome): the strip over a station during a step, the resume pill
"""
