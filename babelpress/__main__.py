from babelpress.cli import main

main()
