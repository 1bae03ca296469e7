from alliancekit.cli import main

main()
