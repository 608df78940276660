"""Every visitor: reach from a wheelchair, keys and switches, spoken descriptions, sound, reduced motion.

settings.py  the [display], [sound] and [access] sections of the configuration
reach.py     the screen as mounted: each canvas row's height above the floor, the band controls keep to
controls.py  the controls a screen drew this frame (immediate mode: widgets report themselves as they draw)
focus.py     keys and a 3-button switch: move a visible focus over those controls, press them, adjust them
speech.py    espeak-ng renders texts on a worker thread, cached; the mixer plays them
sound.py     short sounds synthesised with numpy at start-up; venue volume, quiet hours, mediator mute
"""
