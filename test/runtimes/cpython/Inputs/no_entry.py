# A module without the entry the job names.


def something_else():
    return 0
